// https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface UserConfig extends cdktf.TerraformMetaArguments {
  /**
  * Allow destroying or replacing this user even when it is the very user the provider authenticates as — which deletes the provider's own token with all the user's others and locks Terraform out. Default `false`: such a plan is refused. Changing it does not touch the user.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#allow_self_delete User#allow_self_delete}
  */
  readonly allowSelfDelete?: boolean | cdktf.IResolvable;
  /**
  * Allow changing `cluster_role` from `"admin"` even when this is the very user the provider authenticates as — after which the provider can no longer read or manage users, this one included. Default `false`: such a plan is refused. Changing it does not touch the user.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#allow_self_demote User#allow_self_demote}
  */
  readonly allowSelfDemote?: boolean | cdktf.IResolvable;
  /**
  * Cluster role: `"admin"` or `"none"`. Omitted means `"none"`, so an admin role granted outside Terraform shows up as drift.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#cluster_role User#cluster_role}
  */
  readonly clusterRole?: string;
  /**
  * Email address. Removing it from the configuration clears it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#email User#email}
  */
  readonly email?: string;
  /**
  * Display name. Removing it from the configuration clears it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#name User#name}
  */
  readonly name?: string;
  /**
  * The OIDC subject the user signs in with (the `sub` claim of the identity provider). For a service account any unique string works, e.g. `"svc:ci-deployer"`. Changing it **replaces** the user, which deletes all of their API tokens.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#oidc_subject User#oidc_subject}
  */
  readonly oidcSubject: string;
  /**
  * URL of the user's picture. Removing it from the configuration clears it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#photo_url User#photo_url}
  */
  readonly photoUrl?: string;
  /**
  * Unique cluster-wide handle: 1–32 lowercase letters, digits, `_` or `-`. When omitted the Gateway derives one (from `name`, else `user-<8 hex>`), shown after create without causing a diff. Removing it from the configuration keeps the current handle.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#username User#username}
  */
  readonly username?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user agyn_user}
*/
export class User extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "agyn_user";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a User resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the User to import
  * @param importFromId The id of the existing User that should be imported. Refer to the {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the User to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "agyn_user", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/user agyn_user} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options UserConfig
  */
  public constructor(scope: Construct, id: string, config: UserConfig) {
    super(scope, id, {
      terraformResourceType: 'agyn_user',
      terraformGeneratorMetadata: {
        providerName: 'agyn',
        providerVersion: '0.1.0',
        providerVersionConstraint: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._allowSelfDelete = config.allowSelfDelete;
    this._allowSelfDemote = config.allowSelfDemote;
    this._clusterRole = config.clusterRole;
    this._email = config.email;
    this._name = config.name;
    this._oidcSubject = config.oidcSubject;
    this._photoUrl = config.photoUrl;
    this._username = config.username;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // allow_self_delete - computed: false, optional: true, required: false
  private _allowSelfDelete?: boolean | cdktf.IResolvable; 
  public get allowSelfDelete() {
    return this.getBooleanAttribute('allow_self_delete');
  }
  public set allowSelfDelete(value: boolean | cdktf.IResolvable) {
    this._allowSelfDelete = value;
  }
  public resetAllowSelfDelete() {
    this._allowSelfDelete = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowSelfDeleteInput() {
    return this._allowSelfDelete;
  }

  // allow_self_demote - computed: false, optional: true, required: false
  private _allowSelfDemote?: boolean | cdktf.IResolvable; 
  public get allowSelfDemote() {
    return this.getBooleanAttribute('allow_self_demote');
  }
  public set allowSelfDemote(value: boolean | cdktf.IResolvable) {
    this._allowSelfDemote = value;
  }
  public resetAllowSelfDemote() {
    this._allowSelfDemote = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowSelfDemoteInput() {
    return this._allowSelfDemote;
  }

  // cluster_role - computed: true, optional: true, required: false
  private _clusterRole?: string; 
  public get clusterRole() {
    return this.getStringAttribute('cluster_role');
  }
  public set clusterRole(value: string) {
    this._clusterRole = value;
  }
  public resetClusterRole() {
    this._clusterRole = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get clusterRoleInput() {
    return this._clusterRole;
  }

  // email - computed: false, optional: true, required: false
  private _email?: string; 
  public get email() {
    return this.getStringAttribute('email');
  }
  public set email(value: string) {
    this._email = value;
  }
  public resetEmail() {
    this._email = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get emailInput() {
    return this._email;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // identity_id - computed: true, optional: false, required: false
  public get identityId() {
    return this.getStringAttribute('identity_id');
  }

  // name - computed: false, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // oidc_subject - computed: false, optional: false, required: true
  private _oidcSubject?: string; 
  public get oidcSubject() {
    return this.getStringAttribute('oidc_subject');
  }
  public set oidcSubject(value: string) {
    this._oidcSubject = value;
  }
  // Temporarily expose input value. Use with caution.
  public get oidcSubjectInput() {
    return this._oidcSubject;
  }

  // photo_url - computed: false, optional: true, required: false
  private _photoUrl?: string; 
  public get photoUrl() {
    return this.getStringAttribute('photo_url');
  }
  public set photoUrl(value: string) {
    this._photoUrl = value;
  }
  public resetPhotoUrl() {
    this._photoUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get photoUrlInput() {
    return this._photoUrl;
  }

  // username - computed: true, optional: true, required: false
  private _username?: string; 
  public get username() {
    return this.getStringAttribute('username');
  }
  public set username(value: string) {
    this._username = value;
  }
  public resetUsername() {
    this._username = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get usernameInput() {
    return this._username;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      allow_self_delete: cdktf.booleanToTerraform(this._allowSelfDelete),
      allow_self_demote: cdktf.booleanToTerraform(this._allowSelfDemote),
      cluster_role: cdktf.stringToTerraform(this._clusterRole),
      email: cdktf.stringToTerraform(this._email),
      name: cdktf.stringToTerraform(this._name),
      oidc_subject: cdktf.stringToTerraform(this._oidcSubject),
      photo_url: cdktf.stringToTerraform(this._photoUrl),
      username: cdktf.stringToTerraform(this._username),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allow_self_delete: {
        value: cdktf.booleanToHclTerraform(this._allowSelfDelete),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      allow_self_demote: {
        value: cdktf.booleanToHclTerraform(this._allowSelfDemote),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      cluster_role: {
        value: cdktf.stringToHclTerraform(this._clusterRole),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      email: {
        value: cdktf.stringToHclTerraform(this._email),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      oidc_subject: {
        value: cdktf.stringToHclTerraform(this._oidcSubject),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      photo_url: {
        value: cdktf.stringToHclTerraform(this._photoUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      username: {
        value: cdktf.stringToHclTerraform(this._username),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
